/// OpenStreetMap XML import (see docs/osm-import.md).
public enum WatchroomOSM {}
