package l10n

// ExternalMessages are externalMessages, for the tests of package l10n_test, which build
// the command tree.
var ExternalMessages = externalMessages
