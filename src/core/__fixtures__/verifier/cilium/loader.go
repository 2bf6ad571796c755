package main

import (
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/cilium/ebpf"
)

func main() {
	spec, err := ebpf.LoadCollectionSpec(os.Args[1])
	if err != nil {
		log.Fatalf("spec: %v", err)
	}
	opts := ebpf.CollectionOptions{Programs: ebpf.ProgramOptions{LogLevel: 1, LogSize: 1 << 20}}
	if len(os.Args) > 3 {
		fmt.Sscan(os.Args[3], &opts.Programs.LogSize)
	}
	if len(os.Args) > 2 && os.Args[2] == "L2" {
		opts.Programs.LogLevel = 2
	}
	coll, err := ebpf.NewCollectionWithOptions(spec, opts)
	if err != nil {
		var ve *ebpf.VerifierError
		if errors.As(err, &ve) {
			if f := os.Getenv("VE_FORMAT"); f != "" {
				log.Printf("Verifier error: "+f, ve)
			} else {
				log.Printf("Verifier error: %+v", ve)
			}
		}
		log.Fatalf("loading objects: %v", err)
	}
	coll.Close()
	fmt.Println("loaded")
}
