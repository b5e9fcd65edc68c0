package graph

// gqlgen resolves output paths from the working directory, so run it from the module root.
//go:generate sh -c "cd .. && go tool gqlgen generate"
