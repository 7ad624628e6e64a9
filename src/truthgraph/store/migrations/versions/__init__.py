"""Schema revisions, one file each, numbered 0001, 0002, ... in order."""
