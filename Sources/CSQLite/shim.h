#ifndef WATCHROOM_CSQLITE_SHIM_H
#define WATCHROOM_CSQLITE_SHIM_H
#include <sqlite3.h>
/* SQLITE_TRANSIENT and SQLITE_STATIC are macro casts Swift cannot import. */
static inline sqlite3_destructor_type cs_SQLITE_TRANSIENT(void) { return SQLITE_TRANSIENT; }
static inline sqlite3_destructor_type cs_SQLITE_STATIC(void) { return SQLITE_STATIC; }
#endif
