#ifndef CDIJKSTRA_H
#define CDIJKSTRA_H
#include <stdint.h>
/* placeholder */
int cdijkstra_placeholder(void);
#endif
