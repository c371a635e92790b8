// Package keyselect chooses API keys the way the commands name them: a KEY argument (an ID,
// fetched by that ID, or an exact title, found in the organization's list), list filters, or
// every key. It also turns keys into the rows the output formats print and says what is wrong
// with the malformed keys a server sent. It prints nothing: warnings are returned as lines for
// the command to write, and failures are errors with an errkind kind.
package keyselect
