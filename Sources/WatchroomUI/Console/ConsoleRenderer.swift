import Foundation
import WatchroomCore

/// Draws a whole console frame into a grid.
///
/// Pure: the same input gives the same cells. The map's static layer (areas, roads,
/// label positions) comes from a ``MapRasterCache``; only markers, routes and panels
/// are drawn per frame.
public enum ConsoleRenderer {
    /// Draws everything into `grid` (already sized to the terminal), with a throwaway cache.
    public static func render(_ input: ConsoleFrameInput, into grid: inout Grid) {
        render(input, into: &grid, cache: MapRasterCache())
    }

    /// Draws everything into `grid`, reusing `cache` for the static map layer. Keep one
    /// cache per render loop.
    public static func render(_ input: ConsoleFrameInput, into grid: inout Grid, cache: MapRasterCache) {
        compose(input, into: &grid, cache: cache)
        if !input.capabilities.unicode { grid.makeASCII() }
    }

    private static func compose(_ input: ConsoleFrameInput, into grid: inout Grid, cache: MapRasterCache) {
        let w = grid.width, h = grid.height
        grid.fill(x: 0, y: 0, width: w, height: h)
        guard w > 0, h > 0 else { return }
        let layout = ConsoleLayout(width: w, height: h,
                                   expandDetails: ConsoleModel.expandsDetails(input.ui.selection, dispatch: input.dispatch),
                                   timeline: input.ui.mode == .replay)
        if layout.tooSmall {
            if input.ui.overlay == .quitConfirm {
                grid.put(input.language.t("bar.quit"), x: 0, y: h - 1, style: Style(.alert, [.bold, .reverse]))
            }
            Bars.tooSmall(width: w, height: h, language: input.language, into: &grid)
            if case .intakeForm(let form) = input.ui.overlay {
                IntakeFormOverlay.draw(form, over: .empty, width: w, height: h, unicode: input.capabilities.unicode,
                                       language: input.language, into: &grid)
            }
            return
        }
        let unicode = input.capabilities.unicode, lang = input.language
        Bars.status(input, rect: layout.statusBar, into: &grid)

        let vp = ConsoleModel.viewport(input.ui, map: input.map, rect: layout.map)
        let mapName = unicode ? input.map.name : (input.map.roman ?? input.map.key)
        var mapTitle = lang.t("title.map", Words.text(mapName), Words.distance(vp.metresPerColumn))
        // "whole precinct" only where it fits whole (never "whole precin").
        let whole = "  " + lang.t("title.wholePrecinct")
        if input.ui.viewport == nil, DisplayWidth.of(mapTitle) + DisplayWidth.of(whole) + 4 <= layout.map.width { mapTitle += whole }
        Chrome.title(mapTitle, x: layout.map.x, y: layout.map.y - 1, width: layout.map.width,
                     focused: input.ui.focus == .map, unicode: unicode, into: &grid)
        MapView.draw(input, rect: layout.map, into: &grid, cache: cache)
        Chrome.divider(layout.divider, unicode: unicode, into: &grid)

        IncidentQueueView.draw(input, items: ConsoleModel.incidentQueue(input.state), rect: layout.incidents, into: &grid)
        UnitRosterView.draw(input, items: ConsoleModel.roster(input.state), rect: layout.units, into: &grid)
        DetailsView.draw(input, rect: layout.details, into: &grid)
        TickerView.draw(input, events: ConsoleModel.tickerEvents(input.ticker), rect: layout.ticker, into: &grid)
        Bars.bottom(input, rect: layout.bottomBar, into: &grid)
        if let timeline = input.timeline {
            TimelineBar.draw(timeline, rect: layout.timeline, timeZone: input.precinctTimeZone, unicode: unicode, into: &grid)
        }
        if input.ui.summaryScroll != nil {
            SummaryOverlay.draw(input, width: w, height: h, into: &grid)
        }
        if input.ui.overlay == .help {
            Bars.help(input, width: w, height: h, into: &grid)
        }
        if case .intakeForm(let form) = input.ui.overlay {
            IntakeFormOverlay.draw(form, over: layout.map, width: w, height: h, unicode: unicode, language: lang, into: &grid)
        }
    }

    /// The help text as plain lines (what the `?` overlay lists), for tests and `--help`.
    public static func helpLines(unicode: Bool = true, mode: ShiftMode = .live, language: InterfaceLanguage = .english) -> [String] {
        KeyTable.bindings(unicode: unicode, mode: mode).map { $0.keys(in: language) + "  " + $0.action(in: language) }
    }
}

extension ConsoleRenderer {
    /// Draws only the map (no panels or bars) filling `grid`: for snapshots and for a
    /// full-screen map mode.
    public static func renderMapOnly(_ input: ConsoleFrameInput, into grid: inout Grid, cache: MapRasterCache = MapRasterCache()) {
        grid.fill(x: 0, y: 0, width: grid.width, height: grid.height)
        MapView.draw(input, rect: CellRect(x: 0, y: 0, width: grid.width, height: grid.height), into: &grid, cache: cache)
        if !input.capabilities.unicode { grid.makeASCII() }
    }
}
