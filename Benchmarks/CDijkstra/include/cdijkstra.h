#ifndef CDIJKSTRA_H
#define CDIJKSTRA_H

/*
 * A plain binary-heap Dijkstra over a graph in CSR arrays: the C yardstick the Swift
 * routing core is measured against (`watchroom bench routing`).
 *
 * The heap is an indexed binary min-heap with decrease-key (no lazy deletion): each node is
 * in the heap at most once and `pos` tracks its slot.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The distance of an unreachable node. */
#define CDIJKSTRA_INF UINT32_MAX

/* Heap and position buffers for one graph size; reuse across queries. */
typedef struct cdijkstra_workspace cdijkstra_workspace;

/* Allocates a workspace for graphs of up to node_count nodes; NULL when out of memory. */
cdijkstra_workspace *cdijkstra_workspace_create(uint32_t node_count);

void cdijkstra_workspace_destroy(cdijkstra_workspace *ws);

/*
 * One-to-all shortest paths from `source`.
 *
 * first_out has node_count + 1 entries; the arcs of node u are first_out[u] .. first_out[u+1]-1,
 * with head[a] and weight[a]. Arcs of weight CDIJKSTRA_INF are skipped. On return dist[v] is the
 * distance from source to v, or CDIJKSTRA_INF. Returns the number of nodes settled.
 */
uint32_t cdijkstra_one_to_all(cdijkstra_workspace *ws, uint32_t node_count, const uint32_t *first_out,
                              const uint32_t *head, const uint32_t *weight, uint32_t source, uint32_t *dist);

#ifdef __cplusplus
}
#endif

#endif
