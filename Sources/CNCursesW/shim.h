#ifndef WATCHROOM_CNCURSESW_SHIM_H
#define WATCHROOM_CNCURSESW_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <langinfo.h>
#include <ncursesw/ncurses.h>

static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline int cn_LINES(void) { return LINES; }
static inline int cn_COLS(void) { return COLS; }
static inline int cn_COLORS(void) { return COLORS; }
static inline attr_t cn_A_BOLD(void) { return A_BOLD; }
static inline attr_t cn_A_BLINK(void) { return A_BLINK; }
static inline attr_t cn_A_REVERSE(void) { return A_REVERSE; }
static inline attr_t cn_A_UNDERLINE(void) { return A_UNDERLINE; }
static inline attr_t cn_A_DIM(void) { return A_DIM; }
static inline attr_t cn_A_NORMAL(void) { return A_NORMAL; }
static inline void cn_getmaxyx(WINDOW *w, int *y, int *x) { getmaxyx(w, *y, *x); }
#endif
