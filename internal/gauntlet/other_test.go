//go:build gauntlet && !unix

package gauntlet

import (
	"errors"
	"os/exec"
)

// permissionsApply says the rows about permissions mean something here:
// they need unix users and modes.
const permissionsApply = false

func dropRoot(*exec.Cmd) {}

func giveToNobody(string) error { return nil }

// mkfifo fails: there are no named pipes in the file system here.
func mkfifo(string) error { return errors.ErrUnsupported }
