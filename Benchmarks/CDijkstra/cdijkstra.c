#include "cdijkstra.h"

#include <stdlib.h>

struct cdijkstra_workspace {
    uint32_t capacity;
    uint32_t size;
    uint32_t *heap; /* node ids, ordered by dist */
    uint32_t *pos;  /* slot of each node in heap */
};

cdijkstra_workspace *cdijkstra_workspace_create(uint32_t node_count) {
    cdijkstra_workspace *ws = malloc(sizeof *ws);
    if (!ws) return NULL;
    ws->capacity = node_count;
    ws->size = 0;
    ws->heap = malloc(sizeof(uint32_t) * (node_count ? node_count : 1));
    ws->pos = malloc(sizeof(uint32_t) * (node_count ? node_count : 1));
    if (!ws->heap || !ws->pos) {
        cdijkstra_workspace_destroy(ws);
        return NULL;
    }
    return ws;
}

void cdijkstra_workspace_destroy(cdijkstra_workspace *ws) {
    if (!ws) return;
    free(ws->heap);
    free(ws->pos);
    free(ws);
}

static void sift_up(cdijkstra_workspace *ws, const uint32_t *dist, uint32_t i) {
    uint32_t v = ws->heap[i];
    uint32_t dv = dist[v];
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        uint32_t u = ws->heap[p];
        if (dist[u] <= dv) break;
        ws->heap[i] = u;
        ws->pos[u] = i;
        i = p;
    }
    ws->heap[i] = v;
    ws->pos[v] = i;
}

static void sift_down(cdijkstra_workspace *ws, const uint32_t *dist, uint32_t i) {
    uint32_t v = ws->heap[i];
    uint32_t dv = dist[v];
    uint32_t n = ws->size;
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && dist[ws->heap[c + 1]] < dist[ws->heap[c]]) c++;
        uint32_t u = ws->heap[c];
        if (dist[u] >= dv) break;
        ws->heap[i] = u;
        ws->pos[u] = i;
        i = c;
    }
    ws->heap[i] = v;
    ws->pos[v] = i;
}

uint32_t cdijkstra_one_to_all(cdijkstra_workspace *ws, uint32_t node_count, const uint32_t *first_out,
                              const uint32_t *head, const uint32_t *weight, uint32_t source, uint32_t *dist) {
    uint32_t settled = 0;
    if (!ws || node_count > ws->capacity || source >= node_count) return 0;
    for (uint32_t v = 0; v < node_count; v++) dist[v] = CDIJKSTRA_INF;
    ws->size = 0;
    dist[source] = 0;
    ws->heap[0] = source;
    ws->pos[source] = 0;
    ws->size = 1;
    while (ws->size > 0) {
        uint32_t u = ws->heap[0];
        ws->size--;
        if (ws->size > 0) {
            ws->heap[0] = ws->heap[ws->size];
            ws->pos[ws->heap[0]] = 0;
            sift_down(ws, dist, 0);
        }
        settled++;
        uint32_t du = dist[u];
        for (uint32_t a = first_out[u]; a < first_out[u + 1]; a++) {
            uint32_t w = weight[a];
            if (w == CDIJKSTRA_INF) continue;
            uint32_t nd = du + w;
            if (nd < du) continue; /* overflow */
            uint32_t v = head[a];
            if (nd < dist[v]) {
                int fresh = dist[v] == CDIJKSTRA_INF;
                dist[v] = nd;
                if (fresh) {
                    ws->heap[ws->size] = v;
                    ws->pos[v] = ws->size;
                    ws->size++;
                    sift_up(ws, dist, ws->size - 1);
                } else {
                    sift_up(ws, dist, ws->pos[v]);
                }
            }
        }
    }
    return settled;
}
