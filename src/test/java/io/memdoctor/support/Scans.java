package io.memdoctor.support;

import java.time.Duration;

import io.memdoctor.scans.ScanService;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanStatus;

import static org.awaitility.Awaitility.await;

/** Scans as tests need them: started through the dashboard's own service and run to the end. */
public final class Scans {

    private Scans() {
    }

    /** Starts a scan with the default parameters, waits until it is DONE (at most {@code atMost}), returns its id. */
    public static String finished(ScanService scans, String instanceId, Duration atMost) {
        String id = scans.start(instanceId, ScanParameters.defaults()).id();
        await().atMost(atMost).until(() -> scans.get(id).status() == ScanStatus.DONE);
        return id;
    }
}
