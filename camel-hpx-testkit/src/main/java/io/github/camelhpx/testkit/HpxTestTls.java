package io.github.camelhpx.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Ready-made TLS material for tests: a self-signed certificate for {@code localhost} / {@code 127.0.0.1}, a
 * trust store holding it, and a certificate for another host name (to test host name verification). The
 * PKCS12 files are on the classpath under {@link #RESOURCE_DIR}, all with the password {@link #PASSWORD}.
 */
public final class HpxTestTls {

    public static final String PASSWORD = "changeit";
    public static final String RESOURCE_DIR = "io/github/camelhpx/testkit/tls/";
    /** Key store with the {@code localhost} certificate and its key. */
    public static final String LOCALHOST_KEYSTORE = RESOURCE_DIR + "localhost.p12";
    /** Key store with a certificate for {@code example.org}. */
    public static final String WRONG_HOST_KEYSTORE = RESOURCE_DIR + "wrong-host.p12";
    /** Trust store holding only the {@code localhost} certificate. */
    public static final String TRUSTSTORE = RESOURCE_DIR + "localhost-trust.p12";

    private HpxTestTls() {
    }

    /** A server context presenting the {@code localhost} certificate. */
    public static SSLContext serverContext() {
        return serverContext(LOCALHOST_KEYSTORE);
    }

    /** A server context presenting a certificate for {@code example.org}, which a client of localhost must refuse. */
    public static SSLContext wrongHostServerContext() {
        return serverContext(WRONG_HOST_KEYSTORE);
    }

    /** A client context that trusts the {@code localhost} certificate and nothing else. */
    public static SSLContext clientContext() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(TRUSTSTORE));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the test client TLS context", e);
        }
    }

    /** A server context from a PKCS12 key store. */
    public static SSLContext serverContext(InputStream pkcs12, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(pkcs12, password);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private static SSLContext serverContext(String resource) {
        try (InputStream in = open(resource)) {
            return serverContext(in, PASSWORD.toCharArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the test server TLS context from " + resource, e);
        }
    }

    private static KeyStore load(String resource) throws GeneralSecurityException {
        try (InputStream in = open(resource)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = HpxTestTls.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("test TLS resource missing: " + resource);
        }
        return in;
    }
}
