"The training loop's plumbing: endless batches."
from lora_course.train import endless_batches

def test_endless_batches_cover_every_example_once_per_epoch():
    data, bs = list(range(10)), 3
    batches = endless_batches(data, bs, seed=0, collate=list)
    epoch1, epoch2 = [next(batches) for _ in range(3)], [next(batches) for _ in range(3)]   # 10 // 3 = 3 full batches per epoch
    assert all(len(b) == bs for b in epoch1 + epoch2)                                     # the short last batch is dropped
    for epoch in (epoch1, epoch2): assert len(set(sum(epoch, []))) == 9                     # no example twice within an epoch
    assert epoch1 != epoch2                                                                # a new order each epoch
    again = endless_batches(data, bs, seed=0, collate=list)
    assert [next(again) for _ in range(3)] == epoch1                                       # the seed fixes the order

def test_fewer_examples_than_a_batch_is_an_error_that_names_the_fix():
    import pytest
    with pytest.raises(ValueError, match="batch_size of at most 5"):
        next(endless_batches(list(range(5)), 8, seed=0, collate=list))   # without the check: waits forever
