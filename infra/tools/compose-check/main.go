// compose-check validates compose files the way `docker compose config` does, without Docker: it loads
// them with the Compose Specification's reference loader (schema validation, interpolation, semantic
// checks such as unknown services in depends_on) and prints the normalized model. It also holds trainlayer's
// deployment rule: only the API service may publish a port beyond the host's loopback address (Temporal's
// frontend and web UI, MinIO and its console answer anyone who reaches them, without trainlayer's keys).
//
//	compose-check [-env-file FILE] [-public SERVICE] FILE...
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"net"
	"path/filepath"
	"sort"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	envFile := flag.String("env-file", "", "variables for interpolation (like docker compose --env-file)")
	quiet := flag.Bool("q", false, "only validate; print nothing on success")
	public := flag.String("public", "api", "the one service allowed to publish ports on every interface")
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
	var exposed []string
	for name, service := range project.Services {
		if name == *public {
			continue
		}
		for _, port := range service.Ports {
			if port.Published != "" && !loopback(port.HostIP) {
				exposed = append(exposed, fmt.Sprintf("service %s publishes port %s on every interface (use \"127.0.0.1:%s:%d\" for local debugging, or drop it: only %s is meant to be reachable)",
					name, port.Published, port.Published, port.Target, *public))
			}
		}
	}
	if len(exposed) > 0 {
		sort.Strings(exposed)
		for _, e := range exposed {
			fmt.Fprintln(os.Stderr, "compose-check:", e)
		}
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

// loopback reports whether a published port's host address keeps it on this machine.
func loopback(hostIP string) bool {
	if hostIP == "localhost" {
		return true
	}
	ip := net.ParseIP(hostIP)
	return ip != nil && ip.IsLoopback()
}
