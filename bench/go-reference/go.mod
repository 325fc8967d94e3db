module kubenurse-bench/goreference

go 1.19
