package io.fngate.invocation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeaderPolicyTest {
    private static final Set<String> LISTED = HeaderPolicy.connectionListed(List.of("keep-alive, X-Listed", " Upgrade"));

    @ParameterizedTest(name = "{0}: request {1}, response {2}")
    @CsvSource({
            "accept, true, true",
            "content-type, true, true",
            "x-custom, true, true",
            "set-cookie, true, true",
            "connection, false, false",
            "keep-alive, false, false",
            "proxy-connection, false, false",
            "proxy-authorization, false, false",
            "proxy-authenticate, false, false",
            "te, false, false",
            "trailer, false, false",
            "transfer-encoding, false, false",
            "upgrade, false, false",
            "http2-settings, false, false",
            "x-listed, false, false",
            "content-length, false, false",
            "authorization, false, true",
            "host, false, true",
            "expect, false, true",
            "forwarded, false, true",
            "x-forwarded-for, false, true",
            "x-forwarded-host, false, true",
            "x-forwarded-proto, false, true",
            "x-forwarded-port, false, true",
            "x-forwarded-prefix, false, true",
            "x-real-ip, false, true",
            "x_forwarded_for, false, true",
            "x_real_ip, false, true",
            "my_header, false, true",
            "nvcf-reqid, false, false",
            "nvcf-status, false, false",
            "nvcf-function-id, false, true",
            "nvcf-asset-dir, false, true",
            ":authority, false, true",
    })
    void headersCrossTheGatewayAsThePolicySays(String name, boolean request, boolean response) {
        assertEquals(request, HeaderPolicy.forwardRequestHeader(name, LISTED), "request");
        assertEquals(response, HeaderPolicy.forwardResponseHeader(name, LISTED), "response");
    }

    @Test
    void valuesThatCouldSplitAHeaderLineAreRefused() {
        assertEquals(true, HeaderPolicy.safeValue("text/plain; charset=utf-8"));
        assertEquals(false, HeaderPolicy.safeValue("a\r\nX-Injected: 1"));
        assertEquals(false, HeaderPolicy.safeValue("a\nb"));
        assertEquals(false, HeaderPolicy.safeValue("a\u0000b"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"100, fulfilled", "200, fulfilled", "201, fulfilled", "202, in-progress", "204, fulfilled",
            "302, fulfilled", "399, fulfilled", "400, errored", "404, errored", "500, errored", "504, errored"})
    void nvcfStatusFollowsTheContainerStatus(int code, String status) {
        assertEquals(status, Exchange.nvcfStatus(code));
    }
}
