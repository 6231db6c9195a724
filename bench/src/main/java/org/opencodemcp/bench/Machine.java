package org.opencodemcp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A one-line description of the machine the figures were taken on. */
final class Machine {
    private Machine() {}

    static String describe() {
        String cpu = first("/proc/cpuinfo", "model name");
        String mem = first("/proc/meminfo", "MemTotal");
        String load = read("/proc/loadavg");
        long memGiB = mem == null ? -1 : Math.round(Long.parseLong(mem.replaceAll("\\D", "")) / 1024.0 / 1024.0);
        return Runtime.getRuntime().availableProcessors() + " CPUs (" + (cpu == null ? "?" : cpu) + "), " + memGiB
                + " GiB RAM, " + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.vm.version") + " (" + System.getProperty("java.vm.vendor") + "), load average at start "
                + (load == null ? "?" : String.join(" ", List.of(load.split(" ")).subList(0, 3)));
    }

    static String loadAverage() {
        String load = read("/proc/loadavg");
        return load == null ? "?" : String.join(" ", List.of(load.split(" ")).subList(0, 3));
    }

    private static String first(String file, String key) {
        try {
            for (String l : Files.readAllLines(Path.of(file))) {
                if (l.startsWith(key)) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return null;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return null;
        }
    }
}
