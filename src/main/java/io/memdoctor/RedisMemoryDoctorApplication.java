package io.memdoctor;

import io.memdoctor.security.HashPasswordCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Redis Memory Doctor: records the memory history of every configured Redis and helps tell data growth,
 * fragmentation and copy-on-write apart.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RedisMemoryDoctorApplication {

    public static void main(String[] args) throws java.io.IOException {
        if (args.length == 1 && HashPasswordCommand.NAME.equals(args[0])) {
            System.exit(HashPasswordCommand.run(System.in, System.out, System.err));
        }
        SpringApplication.run(RedisMemoryDoctorApplication.class, args);
    }
}
