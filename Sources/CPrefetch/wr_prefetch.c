/* Everything is in include/wr_prefetch.h (static inline); SwiftPM wants one source file. */
#include "wr_prefetch.h"
