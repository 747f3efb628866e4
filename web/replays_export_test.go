package web

// SeekTime reads where a replay's seek goes, for the tests.
var SeekTime = seekTime
