package dev.statefort.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.model.Role;
import dev.statefort.server.http.UiClient.Session;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A state of 10,000 resources: its page lists them 100 at a time, filtered on the server before paging,
 * with previous/next links that work without htmx. A page number that is not a whole number from 1 is
 * refused (400); one past the last page shows the last page.
 */
class UiResourcePagingTest extends UiServerTest {
    private static final String PASSWORD = "paging test password 1";
    private static final int COUNT = 10_000;
    private static final String PAGE = "/ui/projects/default/states/large";
    private static final Pattern ROW = Pattern.compile("<tr><td><code>([^<]*)</code></td>");

    UiResourcePagingTest() {
        super(PASSWORD);
    }

    private Session session;

    @BeforeAll
    void aLargeStateAndAViewer() throws Exception {
        ui.member("paula", Role.VIEWER);
        written("large", largeState(COUNT));
        session = ui.login("paula");
    }

    @Test
    void theFirstPageListsTheFirstHundredOfTenThousandAndStaysSmall() throws Exception {
        HttpResponse<String> page = get(PAGE);

        assertThat(page.statusCode()).isEqualTo(200);
        List<String> rows = rows(page.body());
        assertThat(rows).hasSize(100);
        assertThat(rows.getFirst()).isEqualTo("terraform_data.r00000");
        assertThat(rows.getLast()).isEqualTo("terraform_data.r00099");
        assertThat(page.body())
                .contains("Showing 1–100 of 10,000<")
                .contains("Page 1 of 100")
                .contains("href=\"" + PAGE + "?page=2\" rel=\"next\"")
                .contains("hx-get=\"" + PAGE + "?page=2\"")
                .doesNotContain("rel=\"prev\"")
                .doesNotContain("secret-attribute-value");
        // all 10,000 rows would be well over a megabyte
        assertThat(page.body().getBytes(UTF_8).length).isLessThan(200 * 1024);
    }

    @Test
    void theSecondAndTheLastPageListTheirOwnRows() throws Exception {
        HttpResponse<String> second = get(PAGE + "?page=2");
        HttpResponse<String> last = get(PAGE + "?page=100");

        assertThat(rows(second.body())).hasSize(100).first().isEqualTo("terraform_data.r00100");
        assertThat(second.body())
                .contains("Showing 101–200 of 10,000<")
                .contains("href=\"" + PAGE + "?page=1\" rel=\"prev\"")
                .contains("href=\"" + PAGE + "?page=3\" rel=\"next\"");
        List<String> lastRows = rows(last.body());
        assertThat(lastRows).hasSize(100);
        assertThat(lastRows.getFirst()).isEqualTo("terraform_data.r09900");
        assertThat(lastRows.getLast()).isEqualTo("terraform_data.r09999");
        assertThat(last.body())
                .contains("Showing 9,901–10,000 of 10,000<")
                .contains("Page 100 of 100")
                .doesNotContain("rel=\"next\"");
    }

    @Test
    void theFilterIsAppliedBeforePagingAndKeptInTheLinks() throws Exception {
        // every 271st resource is an aws_instance: 5, 276, ..., 9761 are 37 of them
        HttpResponse<String> filtered = get(PAGE + "?filter=AWS_INST");

        assertThat(rows(filtered.body())).hasSize(37).allMatch(a -> a.startsWith("aws_instance."));
        assertThat(filtered.body())
                .contains("Showing 1–37 of 37 (filtered from 10,000)")
                .contains("value=\"AWS_INST\"")
                .doesNotContain("rel=\"next\"")
                .doesNotContain("Page 1 of");

        // a filter matching more than a page: the links carry it, URL-encoded and HTML-escaped
        HttpResponse<String> wide = get(PAGE + "?filter=" + URLEncoder.encode("data.r0", UTF_8) + "&page=2");
        assertThat(rows(wide.body())).hasSize(100);
        assertThat(wide.body())
                .contains("of 9,963 (filtered from 10,000)")
                .contains("href=\"" + PAGE + "?filter=data.r0&amp;page=3\" rel=\"next\"")
                .contains("href=\"" + PAGE + "?filter=data.r0&amp;page=1\" rel=\"prev\"");

        HttpResponse<String> none = get(PAGE + "?filter=nothing-like-this");
        assertThat(rows(none.body())).isEmpty();
        assertThat(none.body()).contains("No resources match the filter (of 10,000)");
    }

    @Test
    void aPageAfterTheLastShowsTheLastAndAMalformedPageIsRefused() throws Exception {
        HttpResponse<String> after = get(PAGE + "?page=5000");
        HttpResponse<String> filteredAfter = get(PAGE + "?filter=aws_instance&page=3");

        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(rows(after.body())).hasSize(100).last().isEqualTo("terraform_data.r09999");
        assertThat(after.body()).contains("Page 100 of 100");
        assertThat(filteredAfter.statusCode()).isEqualTo(200);
        assertThat(rows(filteredAfter.body())).hasSize(37);

        for (String bad : List.of("0", "-1", "two", "1.5", "99999999999")) {
            HttpResponse<String> r = get(PAGE + "?page=" + bad);
            assertThat(r.statusCode()).as("page=" + bad).isEqualTo(400);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /**
     * {@code count} resources {@code terraform_data.r00000}..., every 271st (from the sixth) an {@code aws_instance}
     * instead, each with an attribute the UI must never show.
     */
    static String largeState(int count) {
        StringBuilder s = new StringBuilder(count * 200);
        s.append("{\"version\":4,\"serial\":1,\"lineage\":\"large\",\"terraform_version\":\"1.9.0\",\"outputs\":{},")
                .append("\"resources\":[");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                s.append(',');
            }
            String type = i % 271 == 5 ? "aws_instance" : "terraform_data";
            String provider = i % 271 == 5
                    ? "provider[\\\"registry.terraform.io/hashicorp/aws\\\"]"
                    : "provider[\\\"terraform.io/builtin/terraform\\\"]";
            s.append("{\"mode\":\"managed\",\"type\":\"")
                    .append(type)
                    .append("\",\"name\":\"")
                    .append(String.format("r%05d", i))
                    .append("\",\"provider\":\"")
                    .append(provider)
                    .append("\",\"instances\":[{\"attributes\":{\"id\":\"")
                    .append(i)
                    .append("\",\"input\":\"secret-attribute-value\"}}]}");
        }
        return s.append("]}").toString();
    }

    private static List<String> rows(String html) {
        List<String> rows = new ArrayList<>();
        Matcher m = ROW.matcher(html);
        while (m.find()) {
            rows.add(m.group(1));
        }
        return rows;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return ui.get(path, session);
    }
}
