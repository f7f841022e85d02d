#ifndef WATCHROOM_CNCURSESW_SHIM_H
#define WATCHROOM_CNCURSESW_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <langinfo.h>
#include <signal.h>
#include <string.h>
#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <ncursesw/ncurses.h>

// MARK: - Globals and macros Swift cannot read directly

static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline WINDOW *cn_curscr(void) { return curscr; }
static inline int cn_LINES(void) { return LINES; }
static inline int cn_COLS(void) { return COLS; }
static inline int cn_COLORS(void) { return COLORS; }
static inline int cn_COLOR_PAIRS(void) { return COLOR_PAIRS; }
static inline attr_t cn_A_BOLD(void) { return A_BOLD; }
static inline attr_t cn_A_BLINK(void) { return A_BLINK; }
static inline attr_t cn_A_REVERSE(void) { return A_REVERSE; }
static inline attr_t cn_A_UNDERLINE(void) { return A_UNDERLINE; }
static inline attr_t cn_A_DIM(void) { return A_DIM; }
static inline attr_t cn_A_NORMAL(void) { return A_NORMAL; }
static inline void cn_getmaxyx(WINDOW *w, int *y, int *x) { getmaxyx(w, *y, *x); }
static inline int cn_KEY_F(int n) { return KEY_F(n); }

// MARK: - Locale

/// The locale's character set ("UTF-8", "ANSI_X3.4-1968"...), after setlocale.
static inline const char *cn_codeset(void) { return nl_langinfo(CODESET); }
/// Columns libc (and so ncurses) gives a character; -1 when not printable in this locale.
static inline int cn_wcwidth(wchar_t c) {
    extern int wcwidth(wchar_t);
    return wcwidth(c);
}

// MARK: - Mouse

static inline mmask_t cn_mouse_mask_clicks(void) {
    return BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON3_CLICKED | BUTTON3_PRESSED;
}
/// 1 or 3 for a press or click of that button, 0 for anything else (releases, motion).
static inline int cn_mouse_button(mmask_t state) {
    if (state & (BUTTON1_CLICKED | BUTTON1_PRESSED)) return 1;
    if (state & (BUTTON3_CLICKED | BUTTON3_PRESSED)) return 3;
    return 0;
}

// MARK: - Capabilities

/// 1 when the current terminal has a usable `blink` string capability.
static inline int cn_has_blink(void) {
    char *s = tigetstr("blink");
    return s != NULL && s != (char *)-1 && s[0] != '\0';
}

// MARK: - Signals
//
// The state below has internal linkage: every Swift object file that calls these functions
// gets its own copy. Call them from ONE Swift file only (SignalTrap.swift).

struct cn_trap_state {
    volatile sig_atomic_t caught;
    int installed;
    struct sigaction previous[3];
};

/// The trap's state. A function-local static: Swift's importer emits it with the function
/// (a file-scope tentative definition was left undefined at link time).
static inline struct cn_trap_state *cn_trap(void) {
    static struct cn_trap_state state;
    return &state;
}

static inline int cn_trap_signal_number(int i) {
    return i == 0 ? SIGINT : (i == 1 ? SIGTERM : SIGHUP);
}

static void cn_trap_handler(int sig) {
    struct cn_trap_state *t = cn_trap();
    if (t->caught == 0) t->caught = sig;
}

/// Installs handlers for SIGINT, SIGTERM and SIGHUP that only record the signal. No
/// SA_RESTART, so a blocked terminal read returns early. Returns 0, or -1 if already installed.
static inline int cn_trap_install(void) {
    struct cn_trap_state *t = cn_trap();
    if (t->installed) return -1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = cn_trap_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    t->caught = 0;
    for (int i = 0; i < 3; i++) sigaction(cn_trap_signal_number(i), &sa, &t->previous[i]);
    t->installed = 1;
    return 0;
}

/// Puts back the handlers that were there before `cn_trap_install`.
static inline void cn_trap_remove(void) {
    struct cn_trap_state *t = cn_trap();
    if (!t->installed) return;
    for (int i = 0; i < 3; i++) sigaction(cn_trap_signal_number(i), &t->previous[i], NULL);
    t->installed = 0;
}

/// The first signal caught since `cn_trap_install`, 0 if none.
static inline int cn_trap_caught(void) { return (int)cn_trap()->caught; }

// MARK: - Pseudo-terminals and window sizes (ioctl is variadic: not callable from Swift)

static inline int cn_openpty(int *master, int *slave, int rows, int cols) {
    struct winsize ws;
    memset(&ws, 0, sizeof ws);
    ws.ws_row = (unsigned short)rows;
    ws.ws_col = (unsigned short)cols;
    return openpty(master, slave, NULL, NULL, &ws);
}

static inline int cn_set_winsize(int fd, int rows, int cols) {
    struct winsize ws;
    memset(&ws, 0, sizeof ws);
    ws.ws_row = (unsigned short)rows;
    ws.ws_col = (unsigned short)cols;
    return ioctl(fd, TIOCSWINSZ, &ws);
}

static inline int cn_get_winsize(int fd, int *rows, int *cols) {
    struct winsize ws;
    memset(&ws, 0, sizeof ws);
    int r = ioctl(fd, TIOCGWINSZ, &ws);
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return r;
}

/// 1 when `fd` reports hang-up or an error (the other end of the terminal went away).
static inline int cn_fd_hung_up(int fd) {
    struct pollfd p;
    p.fd = fd;
    p.events = POLLIN;
    p.revents = 0;
    if (poll(&p, 1, 0) < 0) return 0;
    return (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}
#endif
