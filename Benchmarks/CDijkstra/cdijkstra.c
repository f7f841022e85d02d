#include "cdijkstra.h"
int cdijkstra_placeholder(void) { return 0; }
