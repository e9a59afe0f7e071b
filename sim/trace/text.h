// Fast text formatting for the trace writers: they print millions of lines, and snprintf's parsing of a format
// string costs more than the event itself. Each function writes at p and returns the end; the caller sizes the buffer.
#pragma once

#include <cstdint>
#include <cstring>

namespace oobsim::trace::text {

inline char* put(char* p, const char* s) {
    const size_t n = std::strlen(s);
    std::memcpy(p, s, n);
    return p + n;
}

inline char* put(char* p, char c) {
    *p = c;
    return p + 1;
}

inline char* put_dec(char* p, uint64_t v) {
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = char('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) *p++ = tmp[--n];
    return p;
}

// "0x" and at least `digits` lower-case hex digits.
inline char* put_hex(char* p, uint32_t v, int digits = 1) {
    static const char hex[] = "0123456789abcdef";
    *p++ = '0';
    *p++ = 'x';
    int n = 8;
    while (n > digits && !(v >> (4 * (n - 1)))) --n;
    for (int i = n - 1; i >= 0; --i) *p++ = hex[(v >> (4 * i)) & 15];
    return p;
}

}  // namespace oobsim::trace::text
