# cmake -DIN=file -DOUT=header -P embed.cmake: the file as a C array
# report_lua[], NUL-terminated (a string literal that long is past what C
# promises a compiler takes).
file(READ ${IN} bytes HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${bytes}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)"
       "\\1\n" bytes "${bytes}")
file(WRITE ${OUT} "/* Made from ${IN} by embed.cmake. */\n"
                  "static const unsigned char report_lua[] = {\n${bytes}0};\n")
