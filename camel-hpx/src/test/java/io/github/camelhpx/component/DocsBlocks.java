package io.github.camelhpx.component;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The listings of the component page that the tests run: each follows a line {@code // tested: <name> ...} and is
 * the next {@code ----} block, taken as written.
 */
final class DocsBlocks {

    private DocsBlocks() {
    }

    static String block(String name) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(System.getProperty("hpx.docs.page")));
        int marker = -1;
        for (int i = 0; i < lines.size() && marker < 0; i++) {
            if (lines.get(i).startsWith("// tested: " + name + " ")) {
                marker = i;
            }
        }
        if (marker < 0) {
            throw new IllegalStateException("no listing marked '// tested: " + name + "' in the component page");
        }
        int start = marker + 1;
        while (!lines.get(start).equals("----")) {
            start++;
        }
        int end = start + 1;
        while (!lines.get(end).equals("----")) {
            end++;
        }
        return String.join("\n", lines.subList(start + 1, end)) + "\n";
    }
}
