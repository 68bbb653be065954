package dev.statefort.core.transfer;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Every {@code *.tfstate} file below a directory, one state each, named by {@link StateNaming} from
 * its path (so {@code terraform.tfstate.d/<workspace>/terraform.tfstate} is one state per
 * workspace), created at the file's modification time. {@code .terraform} folders are skipped:
 * their {@code terraform.tfstate} is Terraform's backend cache, not a state.
 */
public final class DirectorySource implements StateSource {
    private final Path root;

    public DirectorySource(Path root) {
        this.root = root;
    }

    @Override
    public String describe() {
        return "directory " + root;
    }

    @Override
    public List<SourceState> states() throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + " is not a directory");
        }
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return dir.getFileName() != null && dir.getFileName().toString().equals(".terraform")
                        ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && file.getFileName().toString().endsWith(".tfstate")) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(null);
        List<SourceState> states = new ArrayList<>();
        for (Path file : files) {
            String relative = root.relativize(file)
                    .toString()
                    .replace(file.getFileSystem().getSeparator(), "/");
            states.add(new SourceState(
                    StateNaming.fromPath(relative),
                    relative,
                    () -> List.of(new SourceVersion(
                            relative, Files.getLastModifiedTime(file).toInstant(), () -> Files.newInputStream(file)))));
        }
        return states;
    }
}
