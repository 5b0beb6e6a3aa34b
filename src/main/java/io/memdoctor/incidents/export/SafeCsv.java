package io.memdoctor.incidents.export;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * CSV written by Apache Commons CSV (RFC 4180 quoting of commas, quotes and line breaks), with every text cell that
 * a spreadsheet would read as a formula ({@code = + - @}, tab, carriage return first) prefixed with {@code '}: a
 * key named {@code =HYPERLINK("x")} stays text when the file is opened. Numbers are written as numbers.
 */
final class SafeCsv {

    private SafeCsv() {
    }

    /** A CSV file: a header line, then the rows. */
    static String write(List<String> header, List<List<Object>> rows) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180)) {
            printer.printRecord(header.stream().map(SafeCsv::cell).toList());
            for (List<Object> row : rows) {
                printer.printRecord(row.stream().map(SafeCsv::cell).toList());
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    static Object cell(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        String text = value.toString();
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            return "'" + text;
        }
        return text;
    }
}
