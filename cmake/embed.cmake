# Turns a data file into a C++ source defining `std::string_view <function>()` in namespace sieve.
# Usage (script mode): cmake -DIN=file -DOUT=file.cpp -DFUNC=name -P embed.cmake
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}" "// Generated from ${IN} by cmake/embed.cmake. Do not edit.\n"
  "#include <string_view>\nnamespace sieve {\nnamespace { const unsigned char data[] = {\n${bytes}0};\n}\n"
  "std::string_view ${FUNC}() {\n  return {reinterpret_cast<const char*>(data), ${size}};\n}\n}\n")
