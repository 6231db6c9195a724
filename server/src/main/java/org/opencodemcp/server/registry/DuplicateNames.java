package org.opencodemcp.server.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which registration files claim a name another file claims too. Neither of two such files is routed
 * to (a prompt could reach the wrong machine), and each says which other files hold its name. Pure:
 * the registry thread acts on the answer.
 */
final class DuplicateNames {
    private DuplicateNames() {}

    /**
     * @param nameByFile every valid registration: file name to instance name
     * @return for each file whose name is also claimed elsewhere, the other files claiming it, sorted;
     *         files with a name of their own are absent
     */
    static Map<String, List<String>> otherClaimants(Map<String, String> nameByFile) {
        Map<String, List<String>> filesByName = new HashMap<>();
        nameByFile.forEach((file, name) -> filesByName.computeIfAbsent(name, n -> new ArrayList<>()).add(file));
        Map<String, List<String>> out = new HashMap<>();
        for (List<String> files : filesByName.values()) {
            if (files.size() > 1) {
                for (String file : files) {
                    out.put(file, files.stream().filter(f -> !f.equals(file)).sorted().toList());
                }
            }
        }
        return out;
    }
}
