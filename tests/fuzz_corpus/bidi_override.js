function ‮evil‬() { return 1; }
