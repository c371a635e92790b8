package clipboard

// ClearerCmd exposes clearerCmd to the tests.
var ClearerCmd = clearerCmd

// RunClearerAfter exposes runClearer: the clearer with its wait given.
var RunClearerAfter = runClearer

// CopyArgs exposes copyArgs.
var CopyArgs = copyArgs
