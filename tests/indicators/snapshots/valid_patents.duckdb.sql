SELECT
  "t13"."value",
  "t7"."have_events"
FROM (
  SELECT
    COUNT(*) AS "value"
  FROM (
    SELECT
      "t5"."patent_id",
      "t5"."application_no",
      "t5"."publication_no",
      "t5"."grant_no",
      "t5"."kind",
      "t5"."filing_date",
      "t5"."publication_date",
      "t5"."grant_date",
      "t5"."priority_date",
      "t5"."title",
      "t5"."title_en",
      "t5"."abstract",
      "t5"."claims_count",
      "t5"."ipc_main",
      "t5"."applicant_address",
      "t5"."applicant_region",
      "t5"."owner_address",
      "t5"."owner_region",
      "t5"."region_code",
      "t5"."attribution_basis",
      "t5"."country",
      "t5"."domestic",
      "t5"."pct",
      "t5"."pct_application_no",
      "t5"."pct_date",
      "t5"."family_id",
      "t5"."family_size",
      "t5"."foreign_family",
      "t5"."cited_by_count",
      "t5"."industry",
      "t5"."status",
      "t5"."synthetic",
      "t5"."batch_id",
      "t10"."status" AS "status_right",
      "t10"."status_date"
    FROM (
      SELECT
        *
      FROM "patent" AS "t1"
      WHERE
        "t1"."region_code" IN ('120116Z6', '120116402')
    ) AS "t5"
    INNER JOIN (
      SELECT
        *
      FROM (
        SELECT
          "t3"."patent_id",
          FIRST(
            "t3"."status_after" ORDER BY (
              (
                (
                  CAST(EXTRACT(year FROM "t3"."event_date") AS BIGINT) * 10000
                ) + (
                  EXTRACT(month FROM "t3"."event_date") * 100
                ) + EXTRACT(day FROM "t3"."event_date")
              ) * 10
            ) + CASE "t3"."event"
              WHEN 'filed'
              THEN 1
              WHEN 'published'
              THEN 2
              WHEN 'rejected'
              THEN 3
              WHEN 'withdrawn'
              THEN 3
              WHEN 'granted'
              THEN 4
              WHEN 'lapsed'
              THEN 5
              WHEN 'expired'
              THEN 5
              WHEN 'invalidated'
              THEN 5
              WHEN 'surrendered'
              THEN 5
              WHEN 'restored'
              THEN 6
              ELSE 0
            END DESC
          ) AS "status",
          MAX("t3"."event_date") AS "status_date"
        FROM (
          SELECT
            *
          FROM "patent_event" AS "t0"
          WHERE
            "t0"."status_after" IS NOT NULL AND "t0"."event_date" <= MAKE_DATE(2021, 12, 31)
        ) AS "t3"
        GROUP BY
          1
      ) AS "t8"
      WHERE
        "t8"."status" = 'granted'
    ) AS "t10"
      ON "t5"."patent_id" = "t10"."patent_id"
  ) AS "t11"
) AS "t13"
CROSS JOIN (
  SELECT
    COUNT(*) AS "have_events"
  FROM (
    SELECT
      *
    FROM "patent_event" AS "t0"
    WHERE
      "t0"."event_date" <= MAKE_DATE(2021, 12, 31)
  ) AS "t2"
) AS "t7"
