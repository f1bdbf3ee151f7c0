# cmake -DIN=file -DOUT=header -DNAME=array -P embed.cmake: the file as a C
# array NAME[], NUL-terminated (a string literal that long is past what C
# promises a compiler takes).
file(READ ${IN} bytes HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${bytes}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)"
       "\\1\n" bytes "${bytes}")
file(WRITE ${OUT} "/* Made from ${IN} by embed.cmake. */\n"
                  "static const unsigned char ${NAME}[] = {\n${bytes}0};\n")
