# Packs the Zotero extension and writes its update manifest. Usage:
#   cmake -DSRC=<plugin-js> -DSTAGE=<dir> -DXPI=<sieve.xpi> -DUPDATE_JSON=<update.json>
#         -DBASE_URL=<url> -DFILES="<file|file|...>" -P pack_xpi.cmake
# The files (relative to SRC) are copied to STAGE, manifest.json gets
# update_url = <BASE_URL>/update.json, STAGE is zipped into XPI, and UPDATE_JSON announces this
# version at <BASE_URL>/sieve-<version>.xpi with the XPI's sha256 (Zotero checks `update_hash`).
foreach(var SRC STAGE XPI UPDATE_JSON BASE_URL FILES)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "pack_xpi.cmake: ${var} is not set")
  endif()
endforeach()
if(NOT BASE_URL MATCHES "^https://[^/]+")
  message(FATAL_ERROR "pack_xpi.cmake: SIEVE_UPDATE_BASE_URL must be an https:// URL (got '${BASE_URL}')")
endif()
string(REGEX REPLACE "/+$" "" BASE_URL "${BASE_URL}")
string(REPLACE "|" ";" FILES "${FILES}")

file(REMOVE_RECURSE "${STAGE}")
foreach(f IN LISTS FILES)
  configure_file("${SRC}/${f}" "${STAGE}/${f}" COPYONLY)
endforeach()

file(READ "${SRC}/manifest.json" manifest)
string(JSON version GET "${manifest}" version)
string(JSON id GET "${manifest}" applications zotero id)
string(JSON min_version GET "${manifest}" applications zotero strict_min_version)
string(JSON max_version GET "${manifest}" applications zotero strict_max_version)
string(JSON manifest SET "${manifest}" applications zotero update_url "\"${BASE_URL}/update.json\"")
file(WRITE "${STAGE}/manifest.json" "${manifest}\n")

file(REMOVE "${XPI}")
# A fixed time stamp: the same sources give the same .xpi, and so the same update_hash.
execute_process(COMMAND "${CMAKE_COMMAND}" -E tar cf "${XPI}" --format=zip "--mtime=2026-01-01 00:00:00 UTC" ${FILES}
  WORKING_DIRECTORY "${STAGE}" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "pack_xpi.cmake: zipping ${STAGE} into ${XPI} failed (${result})")
endif()
file(SHA256 "${XPI}" sha256)

set(zotero "{}")
string(JSON zotero SET "${zotero}" strict_min_version "\"${min_version}\"")
string(JSON zotero SET "${zotero}" strict_max_version "\"${max_version}\"")
set(update "{}")
string(JSON update SET "${update}" version "\"${version}\"")
string(JSON update SET "${update}" update_link "\"${BASE_URL}/sieve-${version}.xpi\"")
string(JSON update SET "${update}" update_hash "\"sha256:${sha256}\"")
string(JSON update SET "${update}" applications "{}")
string(JSON update SET "${update}" applications zotero "${zotero}")
set(json "{}")
string(JSON json SET "${json}" addons "{}")
string(JSON json SET "${json}" addons "${id}" "{}")
string(JSON json SET "${json}" addons "${id}" updates "[${update}]")
file(WRITE "${UPDATE_JSON}" "${json}\n")
