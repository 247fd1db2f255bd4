#!/usr/bin/env bats
# delete --kill --wait killed at every syscall step, in four quarters (146
# points: in a file of their own, so that meson runs them beside kill.bats).
# Every figure printed with "# races:" is collected for the hardening report.

load helpers
load races

# bats test_tags=stress
@test "delete --kill --wait killed at every syscall step (part 1 of 4) leaves a working namespace, nothing, or a stale name" {
	delete_killed_everywhere kill-wait 1 4
}

# bats test_tags=stress
@test "delete --kill --wait killed at every syscall step (part 2 of 4) leaves a working namespace, nothing, or a stale name" {
	delete_killed_everywhere kill-wait 2 4
}

# bats test_tags=stress
@test "delete --kill --wait killed at every syscall step (part 3 of 4) leaves a working namespace, nothing, or a stale name" {
	delete_killed_everywhere kill-wait 3 4
}

# bats test_tags=stress
@test "delete --kill --wait killed at every syscall step (part 4 of 4) leaves a working namespace, nothing, or a stale name" {
	delete_killed_everywhere kill-wait 4 4
}
