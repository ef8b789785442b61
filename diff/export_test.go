package diff

// CollapseSpace is collapseSpace, for the fuzz test.
var CollapseSpace = collapseSpace
