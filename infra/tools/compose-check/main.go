// compose-check validates compose files the way `docker compose config` does, without Docker: it loads
// them with the Compose Specification's reference loader (schema validation, interpolation, semantic
// checks such as unknown services in depends_on) and prints the normalized model.
//
//	compose-check [-env-file FILE] FILE...
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	envFile := flag.String("env-file", "", "variables for interpolation (like docker compose --env-file)")
	quiet := flag.Bool("q", false, "only validate; print nothing on success")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: compose-check [-env-file FILE] [-q] FILE...")
		os.Exit(2)
	}
	files := flag.Args()
	opts := []cli.ProjectOptionsFn{cli.WithWorkingDirectory(filepath.Dir(files[0])), cli.WithOsEnv, cli.WithName("trainlayer")}
	if *envFile != "" {
		opts = append(opts, cli.WithEnvFiles(*envFile), cli.WithDotEnv)
	}
	options, err := cli.NewProjectOptions(files, opts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "compose-check:", err)
		os.Exit(1)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "compose-check:", err)
		os.Exit(1)
	}
	if *quiet {
		return
	}
	out, err := project.MarshalYAML()
	if err != nil {
		fmt.Fprintln(os.Stderr, "compose-check:", err)
		os.Exit(1)
	}
	os.Stdout.Write(out)
}
