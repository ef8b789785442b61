package diff

// CollapseSpace is collapseSpace, for the fuzz test.
var CollapseSpace = collapseSpace

// BlockOf is blockOf, for the test that walks every kind.
var BlockOf = blockOf
