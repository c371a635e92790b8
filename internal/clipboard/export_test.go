package clipboard

// ClearerCmd exposes clearerCmd to the tests.
var ClearerCmd = clearerCmd
