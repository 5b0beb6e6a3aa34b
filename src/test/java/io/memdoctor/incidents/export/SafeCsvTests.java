package io.memdoctor.incidents.export;

import java.io.StringReader;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SafeCsvTests {

    @Test
    void formulaCellsAreTextAndQuotingRoundTrips() throws Exception {
        String csv = SafeCsv.write(List.of("key", "n"), List.of(
                Arrays.asList("=HYPERLINK(\"x\")", 1L),
                Arrays.asList("+1", -5L),
                Arrays.asList("-cmd", 2.5),
                Arrays.asList("@SUM(A1)", null),
                Arrays.asList("\tTAB", 0),
                Arrays.asList("a,b \"c\"\nd", 3)));
        List<CSVRecord> rows = CSVFormat.RFC4180.parse(new StringReader(csv)).getRecords();
        assertThat(rows).hasSize(7);
        assertThat(rows.subList(1, 7)).extracting(r -> r.get(0)).containsExactly("'=HYPERLINK(\"x\")", "'+1",
                "'-cmd", "'@SUM(A1)", "'\tTAB", "a,b \"c\"\nd");
        // numbers stay numbers, negative ones too
        assertThat(rows.get(2).get(1)).isEqualTo("-5");
        assertThat(rows.get(3).get(1)).isEqualTo("2.5");
        assertThat(rows.get(4).get(1)).isEmpty();
    }
}
