"""discover(): which files a batch run reads, in which order, under which item names.
Model-free: a folder of small files, nothing detected."""

from __future__ import annotations

from pathlib import Path

from redact.batch import BatchFile, discover


def _tree(root: Path, names: list[str]) -> None:
    for name in names:
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x", encoding="utf-8")


def test_files_come_sorted_by_relative_path_with_their_items(tmp_path: Path) -> None:
    _tree(tmp_path, ["b.txt", "a.txt", "sub/Interview 07.txt", "sub/deeper/c.md", "Z.txt"])
    files = discover(tmp_path)
    assert [f.rel for f in files] == ["Z.txt", "a.txt", "b.txt", "sub/Interview 07.txt",
                                      "sub/deeper/c.md"]
    assert [f.item for f in files] == ["Z", "a", "b", "sub/Interview_07", "sub/deeper/c"]
    assert files[3] == BatchFile(rel="sub/Interview 07.txt", path=files[3].path,
                                 item="sub/Interview_07", suffix=".txt")
    assert files[3].path.resolve() == (tmp_path / "sub" / "Interview 07.txt").resolve()


def test_glob_selects_files(tmp_path: Path) -> None:
    _tree(tmp_path, ["a.txt", "b.md", "sub/c.txt"])
    assert [f.rel for f in discover(tmp_path, "*.txt")] == ["a.txt"]
    assert [f.rel for f in discover(tmp_path, "**/*.txt")] == ["a.txt", "sub/c.txt"]
    assert [f.rel for f in discover(tmp_path, "sub/*")] == ["sub/c.txt"]


def test_hidden_and_excluded_folders_are_left_out(tmp_path: Path) -> None:
    _tree(tmp_path, ["a.txt", ".hidden.txt", ".git/config.txt", "sub/.x/y.txt",
                     "case/redacted/a.txt", "case/reports/a.json", "keep/b.txt"])
    (tmp_path / "emptydir").mkdir()
    files = discover(tmp_path, exclude=[tmp_path / "case"])
    assert [f.rel for f in files] == ["a.txt", "keep/b.txt"]  # folders are never files
    assert [f.rel for f in discover(tmp_path, exclude=[tmp_path / "case" / "redacted"])] == \
        ["a.txt", "case/reports/a.json", "keep/b.txt"]


def test_colliding_items_and_formats_that_are_not_statements(tmp_path: Path) -> None:
    # a.txt and a.md both want item "a": the first in path order keeps it. A format that
    # is not read as a statement (.xyz, skipped by the run) never pushes a readable one aside.
    _tree(tmp_path, ["a.txt", "a.md", "A.xyz", "n.weird-suffix!", "r.pdf", "r.bin"])
    got = {f.rel: (f.item, f.suffix) for f in discover(tmp_path)}
    assert got == {"A.xyz": ("A_xyz", ".xyz"), "a.md": ("a", ".md"), "a.txt": ("a_txt", ".txt"),
                   "n.weird-suffix!": ("n", ".txt"), "r.bin": ("r_bin", ".bin"),
                   "r.pdf": ("r", ".pdf")}


def test_names_are_made_safe(tmp_path: Path) -> None:
    _tree(tmp_path, ["Ünïcode name (1).txt", "_under.txt", "sub dir/x.txt"])
    items = {f.rel: f.item for f in discover(tmp_path)}
    assert items == {"_under.txt": "x_under", "sub dir/x.txt": "sub_dir/x",
                     "Ünïcode name (1).txt": "x_n_code_name__1_"}


def test_work_groups_grow_then_shrink_towards_the_end() -> None:
    """Detection groups: one file first (written soon), then larger groups, then smaller
    again at the end so that no worker detects a large last group alone."""
    from redact.batch.runner import Task, work_groups

    tasks = [Task(i, f"/in/{i:03d}.txt", f"{i:03d}.txt", "") for i in range(100)]
    sizes = {i: 7_500 for i in range(100)}
    two = [len(g) for g in work_groups(tasks, sizes, 2)]
    assert [t.index for g in work_groups(tasks, sizes, 2) for t in g] == list(range(100))
    assert two[0] == 1 and max(two) >= 10          # small first, large in the middle
    assert two[-3:] == [1, 1, 1]                    # and single files at the very end
    peak = two.index(max(two))
    assert all(a >= b for a, b in zip(two[peak:-1], two[peak + 1:], strict=True))  # shrinks
    # more workers: the tail starts shrinking earlier; one worker keeps larger groups
    one = [len(g) for g in work_groups(tasks, sizes, 1)]
    assert len(one) < len(two) and sum(one) == 100
    # unknown sizes (a file that could not be stat'ed) still make groups
    assert sum(len(g) for g in work_groups(tasks, {}, 2)) == 100
