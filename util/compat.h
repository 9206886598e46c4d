/*
 * compat.h - the few compiler differences between gcc on Linux and
 * mingw-w64: printf-format checking (mingw's own printf is not C99 unless
 * __USE_MINGW_ANSI_STDIO, and gcc must check the GNU dialect then), and
 * forced inlining.
 */
#ifndef WUDIAG_COMPAT_H
#define WUDIAG_COMPAT_H

#if defined(__MINGW32__)
#define WU_PRINTF(fmt, args) __attribute__((format(gnu_printf, fmt, args)))
#elif defined(__GNUC__)
#define WU_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define WU_PRINTF(fmt, args)
#endif

/* A small helper of a hot loop inlined at every call (constant sizes then
 * fold): export's field writers. */
#if defined(__GNUC__)
#define WU_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define WU_ALWAYS_INLINE inline
#endif

#endif
