package org.opencodemcp.server.registry;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * One pass over the registry directory: lists the files that may be registrations, then hands each
 * file's read to the registry in order, as {@link ScanReads}' opener thread reads them ahead. Runs on
 * the registry thread, which turns each read into an entry.
 */
final class DirectoryScan {
    private DirectoryScan() {}

    /**
     * @param seen     the files handed on
     * @param complete false when the pass was stopped early: a file it did not see is not gone
     */
    record Pass(Set<Path> seen, boolean complete) {}

    /**
     * @param stop   checked before each file (the process is exiting)
     * @param onRead told of each file and what it held, in directory order
     * @throws IOException the directory cannot be listed
     */
    static Pass run(Path dir, BooleanSupplier stop, BiConsumer<Path, RegistryFile.Read> onRead) throws IOException {
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (RegistryFile.isCandidate(f)) {
                    candidates.add(f);
                }
            }
        }
        ScanReads reads = ScanReads.start(candidates);
        Set<Path> seen = new HashSet<>();
        for (int i = 0; i < candidates.size() && !stop.getAsBoolean(); i++) {
            Path f = candidates.get(i);
            seen.add(f);
            onRead.accept(f, reads.read(i));
        }
        return new Pass(seen, !stop.getAsBoolean());
    }
}
