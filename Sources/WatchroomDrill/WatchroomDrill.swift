/// Training drills on a recorded shift (see docs/drills.md).
public enum WatchroomDrill {}
