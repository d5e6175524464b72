// ncursesw with wide characters. SwiftPM drops pkg-config's -D flags, so define them here.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>
#include <signal.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

// Swift 6 cannot touch these C globals or macros directly.
static inline WINDOW *noether_stdscr(void) { return stdscr; }
static inline int noether_lines(void) { return LINES; }
static inline int noether_cols(void) { return COLS; }
static inline attr_t noether_bold(void) { return A_BOLD; }
static inline attr_t noether_dim(void) { return A_DIM; }
static inline attr_t noether_reverse(void) { return A_REVERSE; }
static inline attr_t noether_normal(void) { return A_NORMAL; }

// True when the terminal named by TERM is known and can address the cursor; never prints or exits.
static inline int noether_terminal_usable(const char *term) {
    int err = 0;
    if (setupterm((char *)term, 1, &err) != OK) return 0;
    const char *cup = tigetstr("cup");
    int ok = cup != NULL && cup != (char *)-1;
    del_curterm(cur_term);
    return ok;
}

static inline int noether_utf8_locale(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

// Restore the terminal from a crash signal, then die with the default action.
static void noether_crash_handler(int sig) {
    if (!isendwin()) endwin();
    signal(sig, SIG_DFL);
    raise(sig);
}

static inline void noether_install_crash_handlers(void) {
    int sigs[] = {SIGSEGV, SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGABRT};
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) signal(sigs[i], noether_crash_handler);
}

static void noether_atexit_restore(void) { if (stdscr != NULL && !isendwin()) endwin(); }
static inline void noether_install_atexit(void) { atexit(noether_atexit_restore); }
static inline int noether_colors(void) { return COLORS; }
