package org.opencodemcp.server.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opencodemcp.server.instance.InstanceState;
import org.opencodemcp.server.instance.InstanceView;

class PagingTest {

    private static InstanceView view(String name, InstanceState state) {
        return new InstanceView(name + ".json", name, "host-" + name.length(), "/work/" + name, 1234, state, "1.0",
                state == InstanceState.ONLINE ? null : "down", Instant.EPOCH, 0, null, null, 0, 0, 0, null);
    }

    private static List<InstanceView> fleet(int n) {
        List<InstanceView> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(view("node-" + i, i % 7 == 0 ? InstanceState.UNREACHABLE : InstanceState.ONLINE));
        }
        all.sort(java.util.Comparator.comparing(InstanceView::name, String.CASE_INSENSITIVE_ORDER).thenComparing(InstanceView::file));
        return all;
    }

    @Test
    void walkingThePagesReturnsEveryInstanceExactlyOnce() {
        List<InstanceView> all = fleet(1000);
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            Paging.Page<InstanceView> page = InstanceListing.page(all, new InstanceListing.Query(null, null, 100, cursor));
            assertThat(page.matched()).isEqualTo(1000);
            assertThat(page.rows()).hasSizeLessThanOrEqualTo(100);
            page.rows().forEach(v -> assertThat(seen.add(v.name())).as("seen twice: %s", v.name()).isTrue());
            cursor = page.next();
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSize(1000);
        assertThat(pages).isEqualTo(10);
    }

    @Test
    void rowsThatAppearOrVanishBetweenPagesShiftNothing() {
        List<InstanceView> all = new ArrayList<>(fleet(30));
        Paging.Page<InstanceView> first = InstanceListing.page(all, new InstanceListing.Query(null, null, 10, null));
        InstanceView lastShown = first.rows().get(9);
        all.remove(first.rows().get(3)); // gone from the part already seen
        Paging.Page<InstanceView> second = InstanceListing.page(all, new InstanceListing.Query(null, null, 10, first.next()));
        int at = all.indexOf(lastShown);
        assertThat(second.rows()).containsExactlyElementsOf(all.subList(at + 1, at + 11));
    }

    @Test
    void stateAndQueryFilterWhileCountsStayWhole() {
        List<InstanceView> all = fleet(100);
        Paging.Page<InstanceView> down = InstanceListing.page(all, new InstanceListing.Query("unreachable", null, 100, null));
        assertThat(down.rows()).allSatisfy(v -> assertThat(v.state()).isEqualTo(InstanceState.UNREACHABLE));
        assertThat(down.matched()).isEqualTo(15);
        Paging.Page<InstanceView> byDir = InstanceListing.page(all, new InstanceListing.Query(null, "WORK/NODE-4", 100, null));
        assertThat(byDir.rows()).extracting(InstanceView::name).containsExactlyInAnyOrder("node-4", "node-40", "node-41",
                "node-42", "node-43", "node-44", "node-45", "node-46", "node-47", "node-48", "node-49");
        assertThat(byDir.next()).isNull();
    }

    @Test
    void aForeignCursorIsAToolErrorThatSaysWhatToPass() {
        assertThatThrownBy(() -> InstanceListing.page(fleet(3), new InstanceListing.Query(null, null, 10, "bm90LW91cnM")))
                .isInstanceOf(ToolError.class).hasMessageContaining("nextCursor");
        assertThatThrownBy(() -> InstanceListing.page(fleet(3), new InstanceListing.Query(null, null, 10, "%%%")))
                .isInstanceOf(ToolError.class);
    }

    @Test
    void limitIsClampedAndBlankQueryMatchesAll() {
        Paging.Page<InstanceView> page = InstanceListing.page(fleet(5), new InstanceListing.Query(null, null, 0, null));
        assertThat(page.rows()).hasSize(1);
        assertThat(Paging.contains("  ", "x")).isTrue();
        assertThat(Paging.contains("Ab", null, "xaBy")).isTrue();
        assertThat(Paging.contains("zz", "xaBy")).isFalse();
    }
}
