//go:build gauntlet && unix

package gauntlet

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// permissionsApply says the rows about permissions mean something here.
const permissionsApply = true

// nobody is the unprivileged user (and group) those rows run recall as
// when the test runs as root, for whom no file is unreadable and no
// folder read-only.
const nobody = 65534

// dropRoot makes cmd run as nobody if the test runs as root.
func dropRoot(cmd *exec.Cmd) {
	if os.Geteuid() != 0 {
		return
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
}

// giveToNobody hands a tree to nobody if the test runs as root, so that a
// recall run as nobody meets the modes the test set, as their owner.
func giveToNobody(root string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	return filepath.WalkDir(root, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, nobody, nobody)
	})
}

// mkfifo makes a named pipe.
func mkfifo(path string) error { return syscall.Mkfifo(path, 0o644) }
