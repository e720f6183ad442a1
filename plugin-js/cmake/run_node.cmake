# Runs one of the extension's Node tools for ctest, failing clearly when Node.js or the npm
# packages are missing. Usage:
#   cmake -DNODE=<node or empty> -DDIR=<plugin-js> -DARGS="<arg|arg|...>" -P run_node.cmake
if(NOT NODE)
  message(FATAL_ERROR "plugin-js: Node.js (node) was not found when CMake configured the build. "
                      "Install it (scripts/install-deps) and re-run cmake.")
endif()
if(NOT IS_DIRECTORY "${DIR}/node_modules")
  message(FATAL_ERROR "plugin-js: ${DIR}/node_modules is missing. "
                      "Run `npm ci` in plugin-js (scripts/install-deps does it).")
endif()
string(REPLACE "|" ";" ARGS "${ARGS}")
execute_process(COMMAND "${NODE}" ${ARGS} WORKING_DIRECTORY "${DIR}" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "plugin-js: `node ${ARGS}` failed (${result})")
endif()
