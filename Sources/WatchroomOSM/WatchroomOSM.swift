/// OpenStreetMap XML import (see docs/osm-import.md): `OSMImporter` is the entry point.
public enum WatchroomOSM {}
