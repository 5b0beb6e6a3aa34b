package io.memdoctor.alerts;

import java.util.List;

/** What the alerts page shows of the channels feature, which depends on this package (not the other way). */
public interface AlertPageData {

    /** Recent deliveries as rows for the page. */
    List<?> deliveries();
}
