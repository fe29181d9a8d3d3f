/* banned.h - functions Slipway never calls (git's banned.h). Each use is a
 * compile error that names the reason: unbounded writes (strcpy, strcat,
 * sprintf, vsprintf), hidden state (strtok) or no bounds at all (gets).
 * Use struct buf, snprintf or memcpy with a checked length instead.
 * Include it last, after every system header. */
#ifndef SLIPWAY_BANNED_H
#define SLIPWAY_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_in_slipway

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gets
#define gets(x) BANNED(gets)

#endif
