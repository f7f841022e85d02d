#ifndef WR_PREFETCH_H
#define WR_PREFETCH_H

/* A cache-line prefetch for the routing hot loop: Swift has no public spelling for it.
   Static inline, so the Swift compiler inlines it into the loop (prefetcht0 on x86-64,
   prfm on arm64). Never faults, even on an invalid address. */
static inline void wr_prefetch_read(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
