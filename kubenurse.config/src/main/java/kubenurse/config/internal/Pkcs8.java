package kubenurse.config.internal;

import java.io.ByteArrayOutputStream;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;

/**
 * Wraps the older key encodings (PKCS#1 RSA, SEC1 EC) into PKCS#8, the only one the JDK's KeyFactory
 * reads. Just enough DER to do that; no general ASN.1.
 */
public final class Pkcs8 {

    private static final int SEQUENCE = 0x30;
    private static final int INTEGER = 0x02;
    private static final int OCTET_STRING = 0x04;
    private static final int EC_PARAMETERS_TAG = 0xA0;
    /** AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }. */
    private static final byte[] RSA_ALGORITHM = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** OBJECT IDENTIFIER id-ecPublicKey (1.2.840.10045.2.1). */
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final byte[] VERSION_0 = {INTEGER, 0x01, 0x00};

    private Pkcs8() {
    }

    /** PKCS#1 RSAPrivateKey to PKCS#8 PrivateKeyInfo. */
    public static byte[] fromPkcs1Rsa(byte[] pkcs1) {
        return tlv(SEQUENCE, concat(VERSION_0, RSA_ALGORITHM, tlv(OCTET_STRING, pkcs1)));
    }

    /** SEC1 ECPrivateKey (with its curve in the [0] parameters) to PKCS#8 PrivateKeyInfo. */
    public static byte[] fromSec1Ec(byte[] sec1) throws InvalidKeySpecException {
        Reader outer = new Reader(sec1, 0);
        Reader fields = outer.enter(SEQUENCE);
        fields.skip(INTEGER);
        fields.skip(OCTET_STRING);
        if (!fields.hasMore() || fields.peekTag() != EC_PARAMETERS_TAG) {
            throw new InvalidKeySpecException("EC PRIVATE KEY without curve parameters");
        }
        byte[] curveOid = fields.enter(EC_PARAMETERS_TAG).rest();
        byte[] algorithm = tlv(SEQUENCE, concat(EC_PUBLIC_KEY_OID, curveOid));
        return tlv(SEQUENCE, concat(VERSION_0, algorithm, tlv(OCTET_STRING, sec1)));
    }

    static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Reads DER elements from a window of a byte array. */
    private static final class Reader {
        private final byte[] der;
        private final int end;
        private int position;

        Reader(byte[] der, int start) {
            this(der, start, der.length);
        }

        private Reader(byte[] der, int start, int end) {
            this.der = der;
            this.position = start;
            this.end = end;
        }

        boolean hasMore() {
            return position < end;
        }

        int peekTag() {
            return der[position] & 0xff;
        }

        /** Steps into the element with this tag and returns a reader of its content. */
        Reader enter(int tag) throws InvalidKeySpecException {
            int[] header = header(tag);
            Reader inner = new Reader(der, header[0], header[0] + header[1]);
            position = header[0] + header[1];
            return inner;
        }

        void skip(int tag) throws InvalidKeySpecException {
            int[] header = header(tag);
            position = header[0] + header[1];
        }

        byte[] rest() {
            return Arrays.copyOfRange(der, position, end);
        }

        /** Returns {content start, content length} of the element at the current position. */
        private int[] header(int tag) throws InvalidKeySpecException {
            if (position + 2 > end || peekTag() != tag) {
                throw new InvalidKeySpecException("malformed DER: expected tag 0x" + Integer.toHexString(tag));
            }
            int p = position + 1;
            int length = der[p++] & 0xff;
            if (length >= 0x80) {
                int bytes = length & 0x7f;
                if (bytes == 0 || bytes > 3 || p + bytes > end) {
                    throw new InvalidKeySpecException("malformed DER length");
                }
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = (length << 8) | (der[p++] & 0xff);
                }
            }
            if (p + length > end) {
                throw new InvalidKeySpecException("malformed DER: element longer than its container");
            }
            return new int[] {p, length};
        }
    }
}
